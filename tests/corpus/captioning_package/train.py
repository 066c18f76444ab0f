"""Entry point of a small captioning package: argparse values and a wrapper model class."""

import argparse
import math

from captioning.batches import caption_batches, count_pairs
from captioning.network import CaptionNet
from captioning.trainer import Trainer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--validation-steps", type=int, default=20)
    args = parser.parse_args()

    pairs = count_pairs("data/train")
    net = CaptionNet(vocabulary_size=512)
    net.fit_generator(
        caption_batches("data/train", args.batch_size),
        steps_per_epoch=math.ceil(pairs / args.batch_size),
        epochs=args.epochs,
    )

    trainer = Trainer(net.model, "data/train", "data/val", args)
    trainer.fit()


if __name__ == "__main__":
    main()
