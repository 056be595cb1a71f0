"""A fresh optimizer and the real scheduler -> a Curve (the only torch code); the descent
figure's real SGD; what --annotate marks and --verbose prints."""
