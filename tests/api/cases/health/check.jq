.status == "ok"
