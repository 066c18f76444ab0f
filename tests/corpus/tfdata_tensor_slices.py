"""CIFAR-like image classifier with a plain tf.data input pipeline."""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

AUTOTUNE = tf.data.AUTOTUNE
BATCH_SIZE = 64
IMG = 32


def synthetic_images(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    images = rng.integers(0, 255, size=(n, IMG, IMG, 3)).astype("uint8")
    images[..., 0] = (labels[:, None, None] * 25).astype("uint8")
    return images, labels


def augment(image, label):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_brightness(image, 0.1)
    return image, label


def to_float(image, label):
    return tf.cast(image, tf.float32) / 255.0, label


(x_train, y_train), (x_test, y_test) = synthetic_images(5000, 0), synthetic_images(1000, 1)

train_ds = (
    tf.data.Dataset.from_tensor_slices((x_train, y_train))
    .shuffle(5000)
    .map(to_float, num_parallel_calls=AUTOTUNE)
    .map(augment, num_parallel_calls=AUTOTUNE)
    .batch(BATCH_SIZE)
    .prefetch(AUTOTUNE)
)
test_ds = tf.data.Dataset.from_tensor_slices((x_test, y_test)).map(to_float).batch(BATCH_SIZE).prefetch(AUTOTUNE)

model = keras.Sequential(
    [
        keras.Input(shape=(IMG, IMG, 3)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(10, activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=5, validation_data=test_ds)

loss, acc = model.evaluate(test_ds)
print(f"test accuracy: {acc:.3f}")
predictions = model.predict(test_ds.take(2))
print(predictions.argmax(axis=1)[:20])
