.error.code == "not-found"
