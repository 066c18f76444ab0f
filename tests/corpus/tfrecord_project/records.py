"""Writing and reading the TFRecord shards of the tfrecord project."""

import numpy as np
import tensorflow as tf

FEATURES = 10


def write_shards(folder, n_shards=4, per_shard=1000, seed=0):
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=FEATURES)
    paths = []
    for shard in range(n_shards):
        path = f"{folder}/train-{shard:03d}.tfrecord"
        with tf.io.TFRecordWriter(path) as writer:
            for _ in range(per_shard):
                x = rng.normal(size=FEATURES).astype("float32")
                example = tf.train.Example(
                    features=tf.train.Features(
                        feature={
                            "x": tf.train.Feature(float_list=tf.train.FloatList(value=x)),
                            "y": tf.train.Feature(float_list=tf.train.FloatList(value=[float(x @ weights)])),
                        }
                    )
                )
                writer.write(example.SerializeToString())
        paths.append(path)
    return paths


SPEC = {
    "x": tf.io.FixedLenFeature([FEATURES], tf.float32),
    "y": tf.io.FixedLenFeature([1], tf.float32),
}


def parse(record):
    parsed = tf.io.parse_single_example(record, SPEC)
    return parsed["x"], parsed["y"]
