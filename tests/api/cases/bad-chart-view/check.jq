.error.code == "not-found" and (.error.message | test("front.svg"))
