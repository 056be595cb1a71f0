"""Text to a checked CurveSpec: values, the SPEC grammar, the rules torch leaves unchecked,
the safe expression language, plateau metrics, and the figure style options."""
