"""Figures as data: the one pipeline every figure takes, the one-figure commands, manifests,
render (on two cores), and the command line that reproduces a figure."""
