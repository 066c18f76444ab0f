"""A trainer that keeps its generators on `self` and reads its counts from the parsed arguments."""

from .batches import caption_batches, count_pairs


class Trainer:
    def __init__(self, model, train_folder, val_folder, args):
        self.model = model
        self.args = args
        self.train_gen = caption_batches(train_folder, args.batch_size)
        self.val_gen = caption_batches(val_folder, args.batch_size)
        self.steps = max(1, count_pairs(train_folder) // args.batch_size)

    def fit(self):
        return self.model.fit(
            self.train_gen,
            steps_per_epoch=self.steps,
            epochs=self.args.epochs,
            validation_data=self.val_gen,
            validation_steps=self.args.validation_steps,
        )
