"""The navigator console: server-rendered pages for the people who answer referrals."""
