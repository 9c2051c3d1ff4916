.[0] | .level == "none" and (.unanswered | length) == 34 and (.missing | index("bladder-change")) != null and (.missing | index("recent-infection")) == null and .complete == false
