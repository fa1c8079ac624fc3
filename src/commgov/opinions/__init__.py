"""The service point's opinion board (民意感知器): every visit and conversation logged with a
topic, turned into a quantified issue list (see ``docs/opinions.md``)."""
