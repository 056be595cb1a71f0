"""A training package's own schedules, as the README's "Your own scheduler" section uses them.

Run from the repository's root: ``lrplot examples.schedules.WarmupCosine --warmup 5``.
"""

from __future__ import annotations

import math

from torch.optim import Optimizer
from torch.optim.lr_scheduler import LinearLR, LRScheduler, MultiStepLR, SequentialLR


class WarmupCosine(LRScheduler):
    """Linear warm-up to the base lr, then a half cosine down to floor.

    Args:
        warmup: epochs of linear warm-up
        total: epochs of the whole schedule
        floor: the lr at the end
    """

    def __init__(
        self,
        optimizer: Optimizer,
        warmup: int,
        total: int = 100,
        floor: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        self.warmup, self.total, self.floor = warmup, total, floor
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        epoch = self.last_epoch
        if epoch < self.warmup:
            return [base * (epoch + 1) / self.warmup for base in self.base_lrs]
        progress = min(1.0, (epoch - self.warmup) / max(1, self.total - self.warmup))
        wave = 0.5 * (1 + math.cos(math.pi * progress))
        return [self.floor + (base - self.floor) * wave for base in self.base_lrs]


def warmup_then_steps(
    optimizer: Optimizer, warmup: int = 5, milestones: list[int] | None = None, gamma: float = 0.1
) -> SequentialLR:
    """Warm up linearly, then cut the lr by gamma at each milestone after the warm-up.

    Args:
        warmup: epochs of linear warm-up from a tenth of the lr
        milestones: epochs, after the warm-up, of each cut
        gamma: the factor of each cut
    """
    rise = LinearLR(optimizer, start_factor=0.1, total_iters=warmup)
    cuts = MultiStepLR(optimizer, milestones=milestones or [30, 60], gamma=gamma)
    return SequentialLR(optimizer, [rise, cuts], milestones=[warmup])
