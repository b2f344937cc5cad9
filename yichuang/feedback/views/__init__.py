"""The feedback pages: staff work lists under login, and the public side (the window tablet,
the rating link, the complaint form, announcements, surveys) that needs none."""
