"""`packager preview`: a static review site of question banks (see docs/preview.md).

site.py reads the banks and lays the files out, bank_page.py / question_view.py /
index_page.py build the pages with lxml, markup.py holds the shared page shell, watch.py
polls the sources for `--watch`; assets/ holds the hand-written CSS and JavaScript.
"""
