"""Train a tiny U-Net-ish model on the tile loader."""

import keras
from augment import flip_and_rotate
from keras import layers
from loader import TileLoader


def tiny_unet(tile=32):
    inputs = keras.Input((tile, tile, 1))
    c1 = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    p1 = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(16, 3, padding="same", activation="relu")(p1)
    u1 = layers.UpSampling2D()(c2)
    merged = layers.Concatenate()([u1, c1])
    outputs = layers.Conv2D(1, 1, activation="sigmoid")(merged)
    return keras.Model(inputs, outputs)


def dice(y_true, y_pred, eps=1e-6):
    inter = keras.ops.sum(y_true * y_pred)
    return (2 * inter + eps) / (keras.ops.sum(y_true) + keras.ops.sum(y_pred) + eps)


loader = TileLoader(batch_size=16)
model = tiny_unet()
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[dice])

history = model.fit(
    flip_and_rotate(loader.train_batches(), seed=0),
    steps_per_epoch=loader.steps_per_epoch,
    validation_data=loader.val_batches(),
    validation_steps=loader.validation_steps,
    epochs=5,
)
print("val dice:", history.history["val_dice"][-1])
print(model.evaluate(loader.val_batches(), steps=loader.validation_steps, return_dict=True, verbose=0))
