"""Sources of figures: one module per app, each declaring its bases and figures with
`xieshang.figures.registry.base()` and `figure()` when imported.

An app built later (consultations, opinions, research, performance) brings its figures
by adding a module here and its name to `SOURCES`; nothing else changes: the pages, the
export and docs/figures.md read the registry."""

SOURCES = (
    "workrooms",
    "suggestions",
    "proposals",
    "duty",
    "activities",
    "consultations",
    "opinions",
    "research",
)
