"""`in` over an integer column leaves out the values no such column can hold.

Django already does this for `exact`, `lt`, `gt` and friends on integer
fields (django.db.models.lookups.IntegerFieldOverflow), but not for `in`:
SQLite then raises OverflowError ("Python int too large to convert to SQLite
INTEGER") and the page answers 500. Filter forms check ids with `pk__in`
(Wagtail's own page listing filters by site and page type that way), so a
visitor who types ?site=99999999999999999999999 reached it. Such a value can
match no row on any database, so leaving it out changes no result.
Registered on IntegerField (and so on AutoField and the others) in
academy_site.apps.
"""

from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
