.error.field == "findings[0]"
