.error.code == "invalid-json"
