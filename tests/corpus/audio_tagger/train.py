"""Multi-label audio tagging: python train.py"""

import keras
from data import N_TAGS, log_spectrogram, spectrogram_batches, steps_for, synth_clips
from keras import layers

BATCH_SIZE = 32
EPOCHS = 4


def build_model(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(32, 3, activation="relu", padding="same")(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(N_TAGS, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(multi_label=True, num_labels=N_TAGS)],
    )
    return model


def main():
    train_clips, train_tags = synth_clips(800, seed=0)
    val_clips, val_tags = synth_clips(200, seed=1)
    input_shape = (*log_spectrogram(train_clips[0]).shape, 1)

    model = build_model(input_shape)
    train_gen = spectrogram_batches(train_clips, train_tags, BATCH_SIZE, augment=True)
    val_gen = spectrogram_batches(val_clips, val_tags, BATCH_SIZE)
    model.fit(
        train_gen,
        steps_per_epoch=steps_for(len(train_clips), BATCH_SIZE),
        validation_data=val_gen,
        validation_steps=steps_for(len(val_clips), BATCH_SIZE),
        epochs=EPOCHS,
    )
    model.save("audio_tagger.keras")


if __name__ == "__main__":
    main()
