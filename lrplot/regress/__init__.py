"""Figure regression: data then pixel comparison against baselines, diff pictures, and
lrplot check's artefacts (summary, JUnit, --update)."""
