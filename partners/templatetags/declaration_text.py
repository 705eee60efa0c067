"""{{ block.text|declaration_text }}: a block of declaration text as lists and paragraphs."""

from django import template

from partners.declaration.text import text_html

register = template.Library()


@register.filter(is_safe=True)
def declaration_text(text):
    return text_html(text)
