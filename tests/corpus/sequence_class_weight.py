# Fraud detection on an imbalanced dataset: a Sequence with class_weight (supported for Sequence inputs).
import math

import numpy as np
from keras import Input, Sequential, layers
from keras.utils import Sequence


class FraudSequence(Sequence):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y = x, y
        self.batch_size = batch_size

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, idx):
        low = idx * self.batch_size
        high = min(low + self.batch_size, len(self.x))
        return self.x[low:high], self.y[low:high]


rng = np.random.default_rng(3)
n = 20000
x = rng.normal(size=(n, 30)).astype("float32")
y = (rng.random(n) < 0.02).astype("float32")
x[y == 1] += 1.5

cut = int(0.85 * n)
train_seq = FraudSequence(x[:cut], y[:cut], batch_size=512)
val_seq = FraudSequence(x[cut:], y[cut:], batch_size=1024)

neg, pos = np.bincount(y[:cut].astype(int))
class_weight = {0: (neg + pos) / (2.0 * neg), 1: (neg + pos) / (2.0 * pos)}
print("class weights:", class_weight)

model = Sequential([
    Input(shape=(30,)),
    layers.Dense(32, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["precision", "recall"])

model.fit(train_seq, validation_data=val_seq, epochs=6, class_weight=class_weight)

scores = model.predict(val_seq)
print("flagged:", int((scores > 0.5).sum()), "of", len(scores))
