import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongshang.accounts.choices import Audience
from gongshang.accounts.models import StaffRoleAssignment, User

PASSWORD = "Demo@2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    kind = Audience.STAFF
    username = factory.Sequence(lambda n: f"staff{n}")
    display_name = factory.Sequence(lambda n: f"经办{n}")
    jurisdiction = "370200"

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            for role in extracted or []:
                StaffRoleAssignment.objects.create(user=obj, role=role)
            TOTPDevice.objects.create(user=obj, name="default", confirmed=True)


class EmployerUserFactory(UserFactory):
    kind = Audience.EMPLOYER
    display_name = "刘经办"
    mobile = "13800000001"


class IndividualUserFactory(UserFactory):
    kind = Audience.INDIVIDUAL
    username = factory.Sequence(lambda n: f"p{n:016d}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
