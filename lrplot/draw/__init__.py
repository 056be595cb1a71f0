"""matplotlib Figures, never pyplot: the lr figure, the descent figure, the contact sheet, and
the min/max envelope that keeps long lines small."""
