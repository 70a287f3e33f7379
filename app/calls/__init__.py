"""Open calls: publishing, eligibility, applications, jury review, decisions and feeds."""
