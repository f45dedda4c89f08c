"""The table readers: one module per statistical table, sharing one cell reader.

- :mod:`~gov_disclosure.parsing.tables.scanner` routes each printed row and line to a table;
- :mod:`~gov_disclosure.parsing.tables.table2`, :mod:`~gov_disclosure.parsing.tables.table3`
  and :mod:`~gov_disclosure.parsing.tables.table4` read the cells of 表二, 表三 and 表四;
- :mod:`~gov_disclosure.parsing.tables.cells` holds what all of them share.
"""

__all__: list[str] = []
