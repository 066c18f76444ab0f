import keras
from dataset import TOPICS, HeadlineBatches, build_vocab, fake_headlines

texts, labels = fake_headlines(3000, seed=0)
val_texts, val_labels = fake_headlines(500, seed=1)
vocab = build_vocab(texts)

train_data = HeadlineBatches(texts, labels, vocab, batch_size=64, workers=2, use_multiprocessing=False)
val_data = HeadlineBatches(val_texts, val_labels, vocab, batch_size=128)

model = keras.Sequential(
    [
        keras.Input(shape=(12,), dtype="int32"),
        keras.layers.Embedding(len(vocab) + 2, 24, mask_zero=True),
        keras.layers.GlobalAveragePooling1D(),
        keras.layers.Dense(len(TOPICS), activation="softmax"),
    ]
)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_data, validation_data=val_data, epochs=5)

probe = HeadlineBatches(["quantum lab research", "coach says the team will score"], [2, 0], vocab)
print([TOPICS[i] for i in model.predict(probe, verbose=0).argmax(axis=1)])
