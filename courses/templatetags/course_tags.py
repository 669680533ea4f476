from django import template

register = template.Library()


@register.filter
def catalog_query(filters, page_number: int) -> str:
    """The catalog query string for another page, keeping the filters."""
    return filters.query(page_number)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
