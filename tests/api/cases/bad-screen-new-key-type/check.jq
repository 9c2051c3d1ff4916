.error.code == "invalid-answer" and (.error.message | test("anticoagulants"))
