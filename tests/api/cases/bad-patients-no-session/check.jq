.error.code == "not-signed-in"
