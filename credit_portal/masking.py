"""Masking of personal data for public display (DOMAIN §10): the only place that decides what stays visible."""


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*: a natural person's given name is hidden on public pages."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """110105194912310021 → 1101**********0021: region prefix and last four only."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
