"""The bilingual review document that revisers edit in Word."""
