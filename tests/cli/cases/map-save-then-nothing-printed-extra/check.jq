.[0].pattern | type == "string"
