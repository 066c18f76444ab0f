"""In-memory arrays: fit(x=..., y=..., validation_data=(x_val, y_val)) with callbacks."""

import keras
import numpy as np
from keras import layers


def load_arrays():
    rng = np.random.default_rng(2024)
    x = rng.normal(size=(12_000, 40)).astype("float32")
    logits = x[:, :5] @ rng.normal(size=(5, 5)).astype("float32")
    y = logits.argmax(axis=1)
    return (x[:10_000], y[:10_000]), (x[10_000:11_000], y[10_000:11_000]), (x[11_000:], y[11_000:])


(x_train, y_train), (x_val, y_val), (x_test, y_test) = load_arrays()

inputs = keras.Input(shape=(40,), name="features")
x = layers.Dense(128, activation="relu")(inputs)
x = layers.BatchNormalization()(x)
x = layers.Dropout(0.3)(x)
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(5, activation="softmax", name="label")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="mlp")

model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)

callbacks = [
    keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True),
    keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2),
]
history = model.fit(
    x=x_train,
    y=y_train,
    batch_size=128,
    epochs=25,
    validation_data=(x_val, y_val),
    callbacks=callbacks,
    shuffle=True,
    verbose=2,
)

test_loss, test_acc = model.evaluate(x_test, y_test, batch_size=512, verbose=0)
print(f"best epoch {int(np.argmin(history.history['val_loss'])) + 1}, test accuracy {test_acc:.3f}")
