import math
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

from data import blob_images, clean_batches  # noqa: E402
from models import build_model  # noqa: E402

BATCH_SIZE = 64
EPOCHS = 3

train_images = blob_images(2000, seed=0)
val_images = blob_images(400, seed=1)

model = build_model(noise_std=0.15)
model.fit(
    clean_batches(train_images, BATCH_SIZE),
    steps_per_epoch=math.ceil(len(train_images) / BATCH_SIZE),
    validation_data=clean_batches(val_images, BATCH_SIZE),
    validation_steps=math.ceil(len(val_images) / BATCH_SIZE),
    epochs=EPOCHS,
)
print("val loss:", model.evaluate(clean_batches(val_images, BATCH_SIZE), steps=7, verbose=0))
model.save_weights("denoiser.weights.h5")
