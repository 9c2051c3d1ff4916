.error.message | test("intensity")
