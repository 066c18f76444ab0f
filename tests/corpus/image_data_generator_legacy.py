# Old-school CNN training with ImageDataGenerator. On TensorFlow 2.16+ `tensorflow.keras` is Keras 3, which
# still ships ImageDataGenerator under tf.keras as a legacy utility; flow() returns a PyDataset.
import numpy as np
from tensorflow.keras import Input, Sequential, layers
from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras.utils import to_categorical

num_classes = 3
batch_size = 32
epochs = 5

rng = np.random.default_rng(0)
y_all = rng.integers(0, num_classes, size=1800)
x_all = rng.random((1800, 24, 24, 3)).astype("float32")
x_all[..., 1] += y_all[:, None, None] * 0.3
x_train, x_test = x_all[:1500], x_all[1500:]
y_train, y_test = to_categorical(y_all[:1500], num_classes), to_categorical(y_all[1500:], num_classes)

model = Sequential()
model.add(Input(shape=x_train.shape[1:]))
model.add(layers.Conv2D(16, (3, 3), padding="same", activation="relu"))
model.add(layers.MaxPooling2D(pool_size=(2, 2)))
model.add(layers.Conv2D(32, (3, 3), activation="relu"))
model.add(layers.GlobalAveragePooling2D())
model.add(layers.Dense(num_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])

datagen = ImageDataGenerator(
    featurewise_center=True,
    featurewise_std_normalization=True,
    horizontal_flip=True,
    vertical_flip=False,
)
# Compute the quantities required for featurewise normalization.
datagen.fit(x_train)

test_datagen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
test_datagen.mean, test_datagen.std = datagen.mean, datagen.std

model.fit(
    datagen.flow(x_train, y_train, batch_size=batch_size),
    epochs=epochs,
    validation_data=test_datagen.flow(x_test, y_test, batch_size=batch_size, shuffle=False),
    verbose=2,
)
scores = model.evaluate(test_datagen.flow(x_test, y_test, batch_size=batch_size, shuffle=False), verbose=0)
print("Test loss:", scores[0])
print("Test accuracy:", scores[1])
