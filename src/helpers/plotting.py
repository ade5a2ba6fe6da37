"""The book's figures, and their house style, under one name (``helpers.plotting``).

:mod:`helpers.style` holds every palette, the sizes and the legibility check; the figures are in
:mod:`helpers.figures_membership`, :mod:`helpers.figures_crises`, :mod:`helpers.figures_votes` and
:mod:`helpers.figures_capabilities`.
Chapters call them through this module.
"""

from __future__ import annotations

from .figures_capabilities import (  # noqa: F401
    exercises_figure,
    force_sizes_figure,
)
from .figures_crises import (  # noqa: F401
    REASONS_FOR_STAYING_OUT,
    SHARED_SCALE,
    chronology_figure,
    contingents_figure,
    operation_timeline_figure,
    rationale_figure,
    requests_timeline_figure,
    response_matrix_figure,
    substitution_figure,
)
from .figures_membership import (  # noqa: F401
    functions_figure,
    matrix_figure,
    member_count_figure,
    membership_change_figure,
    network_figure,
    overlap_figure,
    spell_timeline,
    timeline_figure,
)
from .figures_votes import (  # noqa: F401
    agreement_figure,
    alignment_figure,
)
from .style import (  # noqa: F401
    AGREEMENT_CMAP,
    ALIGNMENT_STYLE,
    BASIS_STYLE,
    COLUMN_PX,
    DECORATIVE,
    EVENT_FAMILIES,
    EVENT_FAMILY_OF,
    HOUSE_STYLE,
    MIN_MARK_CONTRAST,
    MIN_PRINT_PT,
    MIN_SCREEN_PX,
    MIN_TEXT_CONTRAST,
    ORG_COLORS,
    PALETTE,
    RESPONSE_COLORS,
    STATUS_STYLE,
    TEXT_WIDTH_IN,
    IllegibleFigure,
    category_label,
    contrast,
    contrast_faults,
    empty_figure,
    ink,
    legibility_faults,
    legible,
    pdf_bytes,
    says_when_empty,
    status_legend,
    style_grid,
    two_lines,
    use_house_style,
)
