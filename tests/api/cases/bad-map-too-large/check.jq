.error.code == "too-large"
