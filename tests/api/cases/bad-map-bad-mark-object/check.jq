.error.field == "marks[0]"
