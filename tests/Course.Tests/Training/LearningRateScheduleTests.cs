using Course.Training;

namespace Course.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void Warms_up_linearly_then_decays_by_half_a_cosine_to_the_minimum()
    {
        var schedule = new LearningRateSchedule(Peak: 1.0, Minimum: 0.1, WarmupSteps: 10, DecaySteps: 110);
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(0.5, schedule.At(4), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.55, schedule.At(60), 12); // halfway: the cosine term is ½
        Assert.Equal(0.1, schedule.At(110), 12);
        Assert.Equal(0.1, schedule.At(500), 12);
        for (int step = 10; step < 110; step++) Assert.True(schedule.At(step + 1) <= schedule.At(step));
    }
}
