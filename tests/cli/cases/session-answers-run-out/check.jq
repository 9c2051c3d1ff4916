.[0] | .end == "stopped" and .pain_after == null
