.[0] | .level == "none" and (.unanswered | length) == 16 and (.unanswered | index("bladder-change")) != null and .complete == false
