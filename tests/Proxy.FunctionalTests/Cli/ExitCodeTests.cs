using System.Net;
using Proxy.Cli;
using Proxy.Cli.Client;

namespace Proxy.FunctionalTests.Cli;

public class ExitCodeTests
{
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, 1)]
    [InlineData(HttpStatusCode.UnprocessableEntity, 1)]
    [InlineData(HttpStatusCode.NotFound, 1)]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, 1)]
    [InlineData(HttpStatusCode.Conflict, 3)]
    [InlineData(HttpStatusCode.PreconditionFailed, 3)]
    [InlineData(HttpStatusCode.Unauthorized, 4)]
    [InlineData(HttpStatusCode.Forbidden, 4)]
    [InlineData(HttpStatusCode.InternalServerError, 5)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 5)]
    public void Each_answer_has_the_exit_code_docs_cli_md_promises(HttpStatusCode status, int expected) =>
        Assert.Equal(expected, ExitCodes.Of(status));

    [Fact]
    public void Problem_details_read_as_one_line_field_by_field_else_title_and_detail()
    {
        var validation = new ProblemBody("The request is not valid", null, 400, new() { ["weights.demo-canary"] = ["must be between 0 and 100"], ["reason"] = ["too long", "not text"] });
        var conflict = new ProblemBody("The route changed since you read it", "If-Match names revision 1, but revision 2 is in force.", 412, null);

        Assert.Equal("weights.demo-canary: must be between 0 and 100; reason: too long; reason: not text", validation.Describe());
        Assert.Equal("The route changed since you read it: If-Match names revision 1, but revision 2 is in force.", conflict.Describe());
        Assert.Equal("Not found", new ProblemBody("Not found", null, 404, []).Describe());
    }
}
