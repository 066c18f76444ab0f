"""Data helpers for the audio tagger: fake clips, log-spectrograms and endless batch generators."""

import math

import numpy as np

SAMPLE_RATE = 8000
CLIP_SECONDS = 1
N_FFT = 256
HOP = 128
N_TAGS = 5


def synth_clips(n, seed=0):
    """Tones whose frequency band encodes a multi-hot tag vector."""
    rng = np.random.default_rng(seed)
    t = np.arange(SAMPLE_RATE * CLIP_SECONDS) / SAMPLE_RATE
    tags = (rng.random((n, N_TAGS)) < 0.3).astype("float32")
    clips = rng.normal(scale=0.1, size=(n, t.size))
    for k in range(N_TAGS):
        clips += tags[:, k : k + 1] * np.sin(2 * np.pi * (300 + 600 * k) * t)
    return clips.astype("float32"), tags


def log_spectrogram(clip):
    frames = np.lib.stride_tricks.sliding_window_view(clip, N_FFT)[::HOP]
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(N_FFT), axis=-1))
    return np.log1p(spectrum).astype("float32")


def spectrogram_batches(clips, tags, batch_size, augment=False):
    while True:
        order = np.random.permutation(len(clips))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            batch = clips[rows]
            if augment:
                batch = np.roll(batch, np.random.randint(0, HOP), axis=1)
            specs = np.stack([log_spectrogram(c) for c in batch])
            yield specs[..., np.newaxis], tags[rows]


def steps_for(n_samples, batch_size):
    return math.ceil(n_samples / batch_size)
