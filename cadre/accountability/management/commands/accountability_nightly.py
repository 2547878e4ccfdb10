"""`cadre accountability_nightly`: lift measures whose period ended and remind overdue 函询.

Run once a day (cron). Eligibility never depends on it (it reads dates), so a missed run
changes no answer; it keeps the status column and the reminders current.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cadre.accountability import services
from cadre.accountability.models import WrittenInquiry


class Command(BaseCommand):
    help = "解除影响期已满的处理措施，并对逾期未回复的函询催复"

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        lifted = services.lift_expired(today=today)
        reminded = services.remind_overdue(qs=WrittenInquiry.objects.all(), by=None, today=today)
        self.stdout.write(f"已解除 {lifted} 项处理措施；已催复 {reminded} 件逾期函询")
