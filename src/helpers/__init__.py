"""Helpers for the CSTO book: load and check the shared dataset, query it, and draw it.

Notebooks import from here and never read the data files themselves::

    from helpers import load_table, members_on, spells
"""

from . import chapter_tables, facts
from .appendix import chronology_markdown, reconciliation_markdown
from .chapter import cited_keys, cutoff_notice, data_used, sources_list
from .glue import glue
from .evidence import (
    ALIGNMENT,
    SOURCE_TEXTS,
    alignment_matrix,
    article4_gap,
    article4_requests,
    chronology,
    compare_crises,
    contingents,
    crises,
    crisis_response_matrix,
    deployment_days,
    event_interval,
    figure_text,
    operation_timeline,
    protocol_ratifiers,
    reported_figure,
    reported_figures,
    resolution_labels,
    response_counts,
    vote_alignment,
)
from .load import as_of, as_of_rules, checked, data_cutoff, descriptor, load_table, set_cutoff
from .formatting import decimal_text, interval_text, long_date, number_word
from .package import (
    chronology_complete_date,
    cutoff_date,
    cutoff_text,
    organization,
    package_summary,
    show_codebook,
    source_count,
)
from .memberships import (
    LEGAL_MEMBER_STATUSES,
    change_dates,
    legal_member_count,
    member_counts,
    members_of_both,
    members_on,
    signatory_count,
    spells,
    state_status,
)
from .tables import BookTable, codebook, markdown_table, show_table, table_rules
from .text import escape_text
from .validate import DataValidationError, Problem, check_package, validate_package

__all__ = [
    "chapter_tables",
    "facts",
    "cutoff_notice",
    "as_of",
    "data_cutoff",
    "set_cutoff",
    "SOURCE_TEXTS",
    "state_status",
    "decimal_text",
    "legal_member_count",
    "signatory_count",
    "figure_text",
    "reported_figure",
    "reported_figures",
    "escape_text",
    "chronology_markdown",
    "reconciliation_markdown",
    "cited_keys",
    "data_used",
    "sources_list",
    "glue",
    "ALIGNMENT",
    "alignment_matrix",
    "article4_gap",
    "article4_requests",
    "chronology",
    "compare_crises",
    "contingents",
    "crises",
    "crisis_response_matrix",
    "deployment_days",
    "event_interval",
    "operation_timeline",
    "protocol_ratifiers",
    "resolution_labels",
    "response_counts",
    "vote_alignment",
    "LEGAL_MEMBER_STATUSES",
    "BookTable",
    "DataValidationError",
    "Problem",
    "change_dates",
    "check_package",
    "checked",
    "codebook",
    "chronology_complete_date",
    "cutoff_date",
    "cutoff_text",
    "interval_text",
    "long_date",
    "number_word",
    "organization",
    "package_summary",
    "show_codebook",
    "source_count",
    "descriptor",
    "load_table",
    "markdown_table",
    "member_counts",
    "members_of_both",
    "members_on",
    "show_table",
    "spells",
    "table_rules",
    "validate_package",
]
