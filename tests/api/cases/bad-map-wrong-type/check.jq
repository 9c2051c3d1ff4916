.error.code == "invalid-field" and .error.field == "marks"
