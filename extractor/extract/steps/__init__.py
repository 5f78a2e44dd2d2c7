"""The extraction steps, one job a module, in the order the driver (``extract.driver``) runs them:

1. ``find``  the figures of a passage, as drafts, one sentence at a time
2. ``drop``  the figures that are not measures (dates, references, set sizes)
3. ``kind``  value, change or target, and the sign of a change
4. ``period`` the period a figure is of, and the one a change compares with
5. ``label`` what the figure measures, in the paper's words
6. ``link``  the catalogue measure, and the baseline value a change is measured against
7. ``semantics`` what the figure is: basis, area, breakdown and bound
8. ``place`` where the figure sits in the source (offsets, page, box): the ``Observation``

Table rows take one step of their own (``table``) in place of 1 to 5.
"""
