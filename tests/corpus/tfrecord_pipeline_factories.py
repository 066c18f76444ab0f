"""Kaggle-style TFRecord notebook: functions build the pipelines, the endless one gets its steps.

`.repeat()` comes before `.batch()`, so every batch is full and `n // batch_size` steps make one pass; the
validation and test pipelines are finite and need no steps. The same factory is called for two splits.
"""

import re

import numpy as np
import tensorflow as tf

AUTO = tf.data.AUTOTUNE
BATCH_SIZE = 16 * 8
IMAGE_SIZE = [192, 192]

train_files = tf.io.gfile.glob("records/train*.tfrec")
valid_files = tf.io.gfile.glob("records/valid*.tfrec")
test_files = tf.io.gfile.glob("records/test*.tfrec")


def decode_image(data):
    image = tf.image.decode_jpeg(data, channels=3)
    image = tf.cast(image, tf.float32) / 255.0
    return tf.reshape(image, [*IMAGE_SIZE, 3])


def read_labeled(example):
    features = {"image": tf.io.FixedLenFeature([], tf.string), "class": tf.io.FixedLenFeature([], tf.int64)}
    example = tf.io.parse_single_example(example, features)
    return decode_image(example["image"]), tf.cast(example["class"], tf.int32)


def read_unlabeled(example):
    features = {"image": tf.io.FixedLenFeature([], tf.string), "id": tf.io.FixedLenFeature([], tf.string)}
    example = tf.io.parse_single_example(example, features)
    return decode_image(example["image"]), example["id"]


def load_dataset(filenames, labeled=True, ordered=False):
    options = tf.data.Options()
    if not ordered:
        options.experimental_deterministic = False
    dataset = tf.data.TFRecordDataset(filenames, num_parallel_reads=AUTO)
    dataset = dataset.with_options(options)
    return dataset.map(read_labeled if labeled else read_unlabeled, num_parallel_calls=AUTO)


def augment(image, label):
    return tf.image.random_flip_left_right(image), label


def get_training_dataset():
    dataset = load_dataset(train_files)
    dataset = dataset.map(augment, num_parallel_calls=AUTO)
    dataset = dataset.repeat()
    dataset = dataset.shuffle(2048)
    dataset = dataset.batch(BATCH_SIZE)
    return dataset.prefetch(AUTO)


def get_eval_dataset(filenames, labeled=True):
    dataset = load_dataset(filenames, labeled=labeled, ordered=True)
    dataset = dataset.batch(BATCH_SIZE)
    return dataset.cache().prefetch(AUTO)


def count_items(filenames):
    return int(np.sum([int(re.search(r"-([0-9]*)\.", name).group(1)) for name in filenames]))


STEPS_PER_EPOCH = count_items(train_files) // BATCH_SIZE

model = tf.keras.Sequential(
    [
        tf.keras.Input((*IMAGE_SIZE, 3)),
        tf.keras.layers.Conv2D(16, 3, activation="relu"),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(104, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
history = model.fit(
    get_training_dataset(),
    steps_per_epoch=STEPS_PER_EPOCH,
    epochs=12,
    validation_data=get_eval_dataset(valid_files),
    class_weight={index: 1.0 for index in range(104)},
)
test_images = get_eval_dataset(test_files, labeled=False).map(lambda image, name: image)
probabilities = model.predict(test_images)
