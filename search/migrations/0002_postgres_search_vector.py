"""PostgreSQL only: stored tsvectors generated from the jieba tokens (all text, with a GIN index
for matching; the title alone, for ranking), since lexemes without positions carry no weights.

The tokens are used as lexemes as they are (array_to_tsvector), never re-parsed by a text
search configuration: the database's parser and locale cannot cut Chinese, jieba already did.
"""

from django.db import migrations

ADD = """
ALTER TABLE xinyu_search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    array_to_tsvector(string_to_array(CASE WHEN text_tokens = '' THEN title_tokens
        WHEN title_tokens = '' THEN text_tokens ELSE title_tokens || ' ' || text_tokens END, ' '))
) STORED;
ALTER TABLE xinyu_search_searchentry ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
    array_to_tsvector(string_to_array(title_tokens, ' '))
) STORED;
CREATE INDEX search_entry_vector ON xinyu_search_searchentry USING gin (search_vector);
"""
DROP = """
DROP INDEX IF EXISTS search_entry_vector;
ALTER TABLE xinyu_search_searchentry DROP COLUMN IF EXISTS search_vector;
ALTER TABLE xinyu_search_searchentry DROP COLUMN IF EXISTS title_vector;
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("xinyu_search", "0001_initial")]
    operations = [migrations.RunPython(add, drop)]
