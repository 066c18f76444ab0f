"""A model wrapper whose own `fit_generator` hands its arguments on to Keras."""

import keras


class CaptionNet:
    def __init__(self, vocabulary_size):
        images = keras.Input((32, 32, 3))
        contexts = keras.Input((16,))
        merged = keras.layers.Concatenate()([keras.layers.Flatten()(images), contexts])
        outputs = keras.layers.Dense(vocabulary_size, activation="softmax")(merged)
        self.model = keras.Model([images, contexts], outputs)
        self.model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

    def fit_generator(self, generator, steps_per_epoch, epochs=1):
        return self.model.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs)
