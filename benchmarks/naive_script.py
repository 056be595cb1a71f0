"""The naive way to plot StepLR (torch + pyplot, a real training step): the reference for P2."""

import matplotlib.pyplot as plt
import torch

model = torch.nn.Linear(1, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
lrs: list[float] = []
for _epoch in range(100):
    lrs.append(optimizer.param_groups[0]["lr"])
    optimizer.step()
    scheduler.step()
plt.plot(lrs)
plt.savefig("naive.png")
