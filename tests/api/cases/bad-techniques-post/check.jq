.error.code == "method-not-allowed"
